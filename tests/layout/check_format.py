#!/usr/bin/env python3
"""clang-format check over every C++ file of the project (tracked by git when in a checkout).

Usage: check_format.py CLANG_FORMAT REPO_ROOT
"""
import os
import subprocess
import sys


def project_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "--cached", "--others",
                              "--exclude-standard", "*.h", "*.cc"],
                             check=True, capture_output=True, text=True).stdout
        files = [f for f in out.splitlines() if f and os.path.exists(os.path.join(root, f))]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for top in ("sim", "mock_aws", "src", "tests", "bench"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in names:
                if n.endswith((".h", ".cc")):
                    files.append(os.path.relpath(os.path.join(dirpath, n), root))
    return sorted(files)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    clang_format, root = sys.argv[1], sys.argv[2]
    files = [f for f in project_files(root) if not f.startswith("build/")]
    bad = []
    for i in range(0, len(files), 50):
        chunk = files[i:i + 50]
        r = subprocess.run([clang_format, "--dry-run", "--Werror", *chunk], cwd=root,
                           capture_output=True, text=True)
        if r.returncode != 0:
            for f in chunk:
                one = subprocess.run([clang_format, "--dry-run", "--Werror", f], cwd=root,
                                     capture_output=True, text=True)
                if one.returncode != 0:
                    bad.append(f)
    for f in bad:
        print(f"needs clang-format: {f}")
    print(f"clang-format: {len(bad)} of {len(files)} file(s) need formatting (fix: make format)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
