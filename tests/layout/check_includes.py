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


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    root, graph_file = sys.argv[1], sys.argv[2]
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
    for p in problems:
        print(p)
    print(f"include direction: {len(problems)} problem(s) in {len(folders)} module(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
