#!/usr/bin/env python3
"""Include-direction test: every project #include in a module must name a header of that module
or of a module it depends on (as declared with ibsim_add_library in CMake), and third-party
headers stay where DESIGN.md puts them (OpenSSL only in mock_aws/crypto; no Boost, JSON, HTTP or
OpenSSL in the pure kernel).

Usage: check_includes.py REPO_ROOT MODULE_GRAPH_FILE
"""
import os
import re
import sys

# Headers written into the build tree at build time (cmake/WriteVersion.cmake).
GENERATED_HEADERS = {"ibsim_version.h"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.MULTILINE)

# (folder prefix, banned third-party include prefixes)
THIRD_PARTY_BANS = [
    ("sim/", ("boost/", "nlohmann/", "httplib", "openssl/"), ("sim/realtime/",)),
]


def load_graph(path):
    modules = {}  # folder -> (name, [deps])
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            folder, name, deps = line.split("|")
            modules[folder] = (name, [d for d in deps.split(",") if d])
    return modules


def closure(name, by_name):
    seen, stack = set(), [name]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        stack.extend(by_name.get(n, (None, []))[1])
    return seen


def owner(path, folders):
    best = None
    for folder in folders:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best):
                best = folder
    return best


def self_test():
    """Plants a kernel file that includes a service header and checks that it is reported."""
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        for rel, text in {
            "sim/a.h": '#include "mock_aws/api/b.h"\n',
            "sim/ok.h": '#include "sim/a.h"\n#include <vector>\n',
            "sim/bad3p.h": "#include <nlohmann/json.hpp>\n",
            "mock_aws/api/b.h": '#include "sim/ok.h"\n',
        }.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        graph = os.path.join(root, "graph.txt")
        with open(graph, "w", encoding="utf-8") as f:
            f.write("sim|sim|\nmock_aws/api|api|sim\n")
        problems = check(root, graph)
    expected = ["sim/a.h", "sim/bad3p.h"]
    found = sorted({p.split(":")[0] for p in problems})
    ok = found == expected
    print("self-test passed" if ok else f"self-test FAILED: reported {found}, expected {expected}")
    return 0 if ok else 1


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    problems = check(sys.argv[1], sys.argv[2])
    for p in problems:
        print(p)
    print(f"include direction: {len(problems)} problem(s)")
    return 1 if problems else 0


def check(root, graph_file):
    modules = load_graph(graph_file)
    by_name = {name: (folder, deps) for folder, (name, deps) in modules.items()}
    folders = list(modules)
    problems = []
    for folder in folders:
        name, _ = modules[folder]
        allowed = closure(name, by_name)
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for file in sorted(files):
                if not file.endswith((".h", ".cc")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, file), root).replace(os.sep, "/")
                if owner(rel, folders) != folder:
                    continue  # Belongs to a nested module, checked there.
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    text = f.read()
                for m in INCLUDE.finditer(text):
                    kind, target = m.group(1), m.group(2)
                    if kind == "<":
                        for prefix, banned, exempt in THIRD_PARTY_BANS:
                            if rel.startswith(prefix) and not any(rel.startswith(e) for e in exempt):
                                if target.startswith(banned):
                                    problems.append(f"{rel}: <{target}> is not allowed in {prefix}")
                        if target.startswith("openssl/") and not rel.startswith("mock_aws/crypto/"):
                            problems.append(f"{rel}: <{target}>: OpenSSL only in mock_aws/crypto")
                        continue
                    if target in GENERATED_HEADERS:
                        continue
                    target_folder = owner(target, folders)
                    if target_folder is None:
                        if not os.path.exists(os.path.join(root, target)):
                            problems.append(f"{rel}: \"{target}\" does not exist")
                        continue
                    target_name = modules[target_folder][0]
                    if target_name not in allowed:
                        problems.append(
                            f"{rel}: includes \"{target}\" of module '{target_name}', which "
                            f"'{name}' does not depend on (declared deps: "
                            f"{', '.join(sorted(allowed - {name})) or 'none'})")
    return problems


if __name__ == "__main__":
    sys.exit(main())
