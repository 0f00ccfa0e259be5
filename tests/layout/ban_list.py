#!/usr/bin/env python3
"""Ban-list test: nothing reads real time, randomness or the environment except through
sim::Context, and a few other habits from STYLE.md. Prints each hit with what to use instead.

Usage: ban_list.py REPO_ROOT      (exit 1 on any hit)
       ban_list.py --self-test    (checks that planted violations are caught)
"""
import os
import re
import sys

SCANNED_DIRS = ("sim", "mock_aws", "src")

# (pattern, replacement advice, path prefixes where the pattern is allowed)
RULES = [
    (r"system_clock::now", "sim::Context::now() / unix_ms()", ("mock_aws/server/", "src/cli/")),
    (r"steady_clock::now", "sim::Context::now()",
     ("sim/realtime/", "mock_aws/server/", "src/cli/")),
    (r"\brandom_device\b", "sim::Rng from the Context", ()),
    (r"(?<![A-Za-z0-9_])s?rand\s*\(", "sim::Rng from the Context", ()),
    (r"\bstd::mt19937", "sim::Rng from the Context", ()),
    (r"std::\w+_distribution\b", "sim::Rng's own distributions", ()),
    (r"\bgetenv\s*\(", "configuration passed in explicitly", ("src/cli/",)),
    (r"\bsleep_for\b", "the scheduler (schedule_after)", ()),
    (r"\bRAND_bytes\b", "sim::Rng (key material is reproducible by design)", ()),
    (r"catch\s*\(\s*\.\.\.\s*\)", "errors as values; the one catch-all is in the router",
     ("mock_aws/server/", "src/cli/")),
    (r"\bFIXME\b", "fix it before merging, or TODO(name)", ()),
    (r"^\s*#\s*include\s*<openssl/", "mock_aws/crypto wrappers", ("mock_aws/crypto/",)),
]

COMPILED = [(re.compile(p, re.MULTILINE), advice, allowed) for p, advice, allowed in RULES]


def strip_comments_and_strings(text):
    """Blanks out // and /* */ comments and string literals so prose does not trip the rules,
    keeping line structure intact. Preprocessor #include lines are kept as they are."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join("\n" if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c == '"':
            line_start = text.rfind("\n", 0, i) + 1
            if text[line_start:i].lstrip().startswith("#"):
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append('"' + " " * (min(j, n) - i - 1))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def scan_text(rel_path, text):
    hits = []
    code = strip_comments_and_strings(text)
    for regex, advice, allowed in COMPILED:
        if any(rel_path.startswith(a) for a in allowed):
            continue
        source = text if "FIXME" in regex.pattern else code
        for m in regex.finditer(source):
            line = source.count("\n", 0, m.start()) + 1
            hits.append(f"{rel_path}:{line}: '{m.group(0).strip()}' -> use {advice}")
    return hits


# Catch2 reads ',' in a test-name filter as "or", and ctest runs each test case by name, so a
# name with a comma (or brackets) would silently run nothing.
TEST_NAME = re.compile(r'TEST_CASE\(\s*"([^"]*)"')


def scan_test_names(rel_path, text):
    hits = []
    for m in TEST_NAME.finditer(text):
        if any(ch in m.group(1) for ch in ",[]\\"):
            line = text.count("\n", 0, m.start()) + 1
            hits.append(f"{rel_path}:{line}: test name '{m.group(1)}' contains , [ ] or \\ "
                        "-> rephrase (ctest filters by name)")
    return hits


def scan_repo(root):
    hits = []
    for dirpath, _, files in os.walk(os.path.join(root, "tests")):
        for name in sorted(files):
            if name.endswith(".cc"):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                with open(path, encoding="utf-8") as f:
                    hits.extend(scan_test_names(rel, f.read()))
    for top in SCANNED_DIRS:
        base = os.path.join(root, top)
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith((".h", ".cc")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                with open(path, encoding="utf-8") as f:
                    hits.extend(scan_text(rel, f.read()))
    return hits


def self_test():
    planted = {
        "sim/x.cc": "auto t = std::chrono::system_clock::now();\n",
        "mock_aws/kms/y.cc": "std::mt19937 gen(1);\nint r = rand();\n",
        "src/engine/z.cc": "const char* h = getenv(\"HOME\");\n",
        "mock_aws/ec2/w.cc": "#include <openssl/evp.h>\n",
        "sim/v.cc": "try { f(); } catch (...) { }\n",
    }
    clean = {
        "sim/ok.cc": "// system_clock::now is banned here\nauto s = \"rand()\";\nint operand(int);\n",
        "mock_aws/crypto/ok.cc": "#include <openssl/evp.h>\n",
        "src/cli/ok.cc": "const char* h = getenv(\"HOME\");\n",
    }
    ok = True
    if not scan_test_names("tests/x_test.cc", 'TEST_CASE("A: b, c", "[x]")'):
        print("self-test: a comma in a test name was not caught")
        ok = False
    for path, text in planted.items():
        if not scan_text(path, text):
            print(f"self-test: planted violation in {path} was not caught")
            ok = False
    for path, text in clean.items():
        hits = scan_text(path, text)
        if hits:
            print(f"self-test: false positive in {path}: {hits}")
            ok = False
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    hits = scan_repo(sys.argv[1])
    for h in hits:
        print(h)
    print(f"ban list: {len(hits)} violation(s)")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
