#!/usr/bin/env python3
"""Generates the protocol shape tables from the botocore models installed on this machine.

Reads scripts/shapes/operations.txt ("service Operation" per line), loads each service's
botocore model, keeps only the shapes reachable from those operations' input, output and error
shapes, and writes compact C++ tables (mock_aws/protocol/shape_model.h defines their types) into
mock_aws/protocol/generated/.

Usage:
  scripts/gen-shapes.py              regenerate mock_aws/protocol/generated/
  scripts/gen-shapes.py --out DIR    write the tables into DIR instead
  scripts/gen-shapes.py --check      regenerate into a temporary directory and compare with the
                                     committed tables; exit 77 (skipped) without botocore or when
                                     the installed botocore differs from the one recorded
"""
import argparse
import difflib
import os
import re
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPERATIONS_FILE = os.path.join(REPO, "scripts", "shapes", "operations.txt")
GENERATED_DIR = os.path.join(REPO, "mock_aws", "protocol", "generated")
SKIP = 77

SERVICES = [
    # (botocore name, api version, ServiceId enumerator)
    ("imagebuilder", "2019-12-02", "kImageBuilder"),
    ("ec2", "2016-11-15", "kEc2"),
    ("kms", "2014-11-01", "kKms"),
    ("iam", "2010-05-08", "kIam"),
    ("sts", "2011-06-15", "kSts"),
    ("ssm", "2014-11-06", "kSsm"),
]

PROTOCOLS = {"rest-json": "kRestJson", "ec2": "kEc2Query", "query": "kQuery", "json": "kJson"}
TYPES = {
    "structure": "kStructure", "list": "kList", "map": "kMap", "string": "kString",
    "integer": "kInteger", "long": "kLong", "boolean": "kBoolean", "timestamp": "kTimestamp",
    "blob": "kBlob", "float": "kFloat", "double": "kDouble",
}
LOCATIONS = {None: "kBody", "header": "kHeader", "headers": "kHeaders",
             "querystring": "kQueryString", "uri": "kUri", "statusCode": "kStatusCode"}
TIMESTAMP_FORMATS = {None: "kDefault", "iso8601": "kIso8601",
                     "unixTimestamp": "kUnixTimestamp", "rfc822": "kRfc822"}
NO_INDEX = 0xFFFF
MAX_MEMBERS = 256  # mock_aws/protocol/shape_model.h kMaxStructureMembers
# Traits the codecs implement; anything else on a reachable shape stops the generator so that a
# model update cannot silently introduce wire behaviour the codecs ignore.
SHAPE_KEYS = {"type", "members", "member", "key", "value", "required", "min", "max", "pattern",
              "enum", "documentation", "sensitive", "exception", "error", "fault", "deprecated",
              "deprecatedMessage", "box", "flattened", "timestampFormat", "locationName",
              "wrapper", "synthetic"}
MEMBER_KEYS = {"shape", "documentation", "locationName", "queryName", "location", "flattened",
               "idempotencyToken", "deprecated", "deprecatedMessage", "deprecatedSince", "box",
               "timestampFormat", "xmlAttribute", "xmlNamespace"}


def load_operations():
    wanted = {}
    with open(OPERATIONS_FILE, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            service, operation = line.split()
            wanted.setdefault(service, []).append(operation)
    return wanted


class StringPool:
    def __init__(self):
        self.items = []
        self.index = {}

    def add(self, text):
        if text is None:
            return NO_INDEX
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]


def cxx_string(text):
    out = ['"']
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "?":
            out.append("\\?")  # no trigraphs
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append("\\%03o" % byte)
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Patterns: "[...]+" / "[...]*" become code point ranges; other patterns are translated to
# ECMAScript for std::regex when they use nothing Java-specific.

CLASS_PATTERN = re.compile(r"^\^?\(?\[(?P<body>(?:\\.|[^\]\\])*)\](?P<q>[*+])\)?\$?$")
JAVA_ONLY = ("\\p{", "\\P{", "(?<", "(?i", "(?s", "(?m", "(?x", "*+", "++", "?+", "\\A", "\\Z",
             "\\z", "\\Q", "&&", "\\h", "\\R")


def class_items(body):
    """Parses a Java character class body into (ranges, any_non_ascii). None when unsupported."""
    ranges = []
    any_non_ascii = False
    i = 0
    atoms = []  # (kind, value): ("cp", code point) or ("set", [ranges])
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1]
            if nxt == "u":
                atoms.append(("cp", int(body[i + 2:i + 6], 16)))
                i += 6
                continue
            if nxt == "x":
                atoms.append(("cp", int(body[i + 2:i + 4], 16)))
                i += 4
                continue
            if nxt == "p":
                m = re.match(r"\\p\{(\w+)\}", body[i:])
                name = m.group(1)
                sets = {"L": [(0x41, 0x5A), (0x61, 0x7A)], "N": [(0x30, 0x39)], "Z": [(0x20, 0x20)]}
                if name not in sets:
                    return None
                atoms.append(("set", sets[name]))
                any_non_ascii = True
                i += len(m.group(0))
                continue
            sets = {"w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
                    "d": [(0x30, 0x39)],
                    "s": [(0x09, 0x0D), (0x20, 0x20)]}
            if nxt in sets:
                atoms.append(("set", sets[nxt]))
            elif nxt.isalnum():
                return None
            else:
                atoms.append(("cp", ord(nxt)))
            i += 2
            continue
        if c == "[":
            return None
        # An unescaped '-' may form a range; an escaped one ("\\-") never does.
        atoms.append(("dash", ord(c)) if c == "-" else ("cp", ord(c)))
        i += 1
    # Ranges: cp '-' cp.
    j = 0
    while j < len(atoms):
        kind, value = atoms[j]
        if (kind in ("cp", "dash") and j + 2 < len(atoms) and atoms[j + 1][0] == "dash"
                and atoms[j + 2][0] in ("cp", "dash")):
            ranges.append((value, atoms[j + 2][1]))
            j += 3
            continue
        if kind in ("cp", "dash"):
            ranges.append((value, value))
        else:
            ranges.extend(value)
        j += 1
    ranges.sort()
    merged = []
    for lo, hi in ranges:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged, any_non_ascii


def check_class_against_python(pattern, negated, ranges):
    """The ranges must agree with Python's regex engine on every ASCII character."""
    body = CLASS_PATTERN.match(pattern).group("body")
    if "\\p{" in body:
        return
    python = re.compile("[" + re.sub(r"\\u([0-9A-Fa-f]{4})", r"\\u\1", body) + "]", re.ASCII)
    for cp in range(0x80):
        ours = any(lo <= cp <= hi for lo, hi in ranges) != negated
        if ours != bool(python.fullmatch(chr(cp))):
            sys.exit(f"gen-shapes: character class {pattern!r} disagrees with Python on {cp:#x}")


def classify_pattern(pattern):
    m = CLASS_PATTERN.match(pattern)
    if m:
        body = m.group("body")
        negated = body.startswith("^")
        parsed = class_items(body[1:] if negated else body)
        if parsed is not None:
            ranges, any_non_ascii = parsed
            check_class_against_python(pattern, negated, ranges)
            return {"kind": "kCharClass", "negated": negated, "any_non_ascii": any_non_ascii,
                    "min_count": 1 if m.group("q") == "+" else 0, "ranges": ranges, "regex": None}
    if any(token in pattern for token in JAVA_ONLY) or any(ord(c) > 0x7E for c in pattern):
        return {"kind": "kUnsupported", "regex": None}

    def ascii_escape(match):
        cp = int(match.group(1), 16)
        return "\\x%02X" % cp if cp < 0x80 else None

    translated = pattern
    for match in re.finditer(r"\\u([0-9A-Fa-f]{4})", pattern):
        if int(match.group(1), 16) >= 0x80:
            return {"kind": "kUnsupported", "regex": None}
    translated = re.sub(r"\\u([0-9A-Fa-f]{4})", ascii_escape, translated)
    return {"kind": "kRegex", "regex": translated}


# ---------------------------------------------------------------------------------------------

class ServiceTables:
    def __init__(self, name, version, enum_name, model, operations):
        self.name = name
        self.version = version
        self.enum_name = enum_name
        self.model = model
        self.operations = sorted(operations)
        self.strings = StringPool()
        self.shape_names = []
        self.shape_index = {}
        self.check_operations()
        self.collect_shapes()

    def check_operations(self):
        for op in self.operations:
            if op not in self.model["operations"]:
                sys.exit(f"gen-shapes: {self.name} has no operation {op}")

    def collect_shapes(self):
        shapes = self.model["shapes"]
        roots = []
        for op_name in self.operations:
            op = self.model["operations"][op_name]
            for key in ("input", "output"):
                if key in op:
                    roots.append(op[key]["shape"])
            roots.extend(e["shape"] for e in op.get("errors", []))
        seen = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            shape = shapes[name]
            unknown = set(shape) - SHAPE_KEYS
            if unknown or shape["type"] not in TYPES:
                sys.exit(f"gen-shapes: {self.name} shape {name} uses {sorted(unknown)} "
                         f"or type {shape['type']}; teach the codecs first")
            refs = list(shape.get("members", {}).values())
            refs += [shape[k] for k in ("member", "key", "value") if k in shape]
            for ref in refs:
                unknown = set(ref) - MEMBER_KEYS
                if unknown:
                    sys.exit(f"gen-shapes: {self.name} shape {name} member uses {sorted(unknown)}")
                stack.append(ref["shape"])
        self.shape_names = sorted(seen)
        self.shape_index = {n: i for i, n in enumerate(self.shape_names)}
        if len(self.shape_names) >= NO_INDEX:
            sys.exit("gen-shapes: too many shapes for 16-bit indices")

    def member_row(self, ref, name, required):
        shape = self.model["shapes"][ref["shape"]]
        flags = []
        if required:
            flags.append("kMemberRequired")
        if ref.get("idempotencyToken"):
            flags.append("kMemberIdempotencyToken")
        if ref.get("flattened") or shape.get("flattened"):
            flags.append("kMemberFlattened")
        if ref.get("xmlAttribute"):
            flags.append("kMemberXmlAttribute")
        location_name = ref.get("locationName", shape.get("locationName"))
        ts = ref.get("timestampFormat")
        return "{%s, %s, %s, %d, Location::%s, %s, TimestampFormat::%s}" % (
            self.idx(self.strings.add(name)),
            self.idx(self.strings.add(location_name)),
            self.idx(self.strings.add(ref.get("queryName"))),
            self.shape_index[ref["shape"]],
            LOCATIONS[ref.get("location")],
            " | ".join(flags) if flags else "0",
            TIMESTAMP_FORMATS[ts],
        )

    @staticmethod
    def idx(i):
        return "kNoIndex" if i == NO_INDEX else str(i)

    def render(self, botocore_version):
        shapes = self.model["shapes"]
        metadata = self.model["metadata"]
        members = []     # rendered rows
        member_comments = []
        sorted_members = []  # per structure, its member indices ordered by name
        enum_values = []
        patterns = []
        pattern_index = {}
        ranges = []
        shape_rows = []
        unsupported = []
        for name in self.shape_names:
            shape = shapes[name]
            kind = shape["type"]
            first_member = len(members)
            if kind == "structure":
                required = set(shape.get("required", []))
                if len(shape["members"]) > MAX_MEMBERS:
                    sys.exit(f"gen-shapes: {self.name} {name} has more than {MAX_MEMBERS} members")
                for member_name, ref in shape["members"].items():
                    members.append(self.member_row(ref, member_name, member_name in required))
                    member_comments.append(f"{name}.{member_name}")
                names = list(shape["members"])
                for member_name in sorted(names, key=lambda n: n.encode("utf-8")):
                    sorted_members.append(first_member + names.index(member_name))
            elif kind == "list":
                members.append(self.member_row(shape["member"], None, False))
                member_comments.append(f"{name}[]")
                sorted_members.append(first_member)
            elif kind == "map":
                members.append(self.member_row(shape["key"], None, False))
                members.append(self.member_row(shape["value"], None, False))
                member_comments += [f"{name}.key", f"{name}.value"]
                sorted_members += [first_member, first_member + 1]
            member_count = len(members) - first_member
            first_enum = len(enum_values)
            for value in shape.get("enum", []):
                enum_values.append(self.strings.add(value))
            pattern = NO_INDEX
            if "pattern" in shape:
                source = shape["pattern"]
                if source not in pattern_index:
                    info = classify_pattern(source)
                    row = {"source": self.strings.add(source),
                           "regex": self.strings.add(info["regex"]),
                           "kind": info["kind"], "negated": info.get("negated", False),
                           "any_non_ascii": info.get("any_non_ascii", False),
                           "min_count": info.get("min_count", 0),
                           "first_range": len(ranges),
                           "range_count": len(info.get("ranges", []))}
                    ranges.extend(info.get("ranges", []))
                    if info["kind"] == "kUnsupported":
                        unsupported.append(source)
                    pattern_index[source] = len(patterns)
                    patterns.append(row)
                pattern = pattern_index[source]
            flags = []
            for key, flag in (("min", "kShapeHasMin"), ("max", "kShapeHasMax")):
                if key in shape:
                    if not isinstance(shape[key], int):
                        sys.exit(f"gen-shapes: {self.name} {name}.{key} is not an integer")
                    flags.append(flag)
            if shape.get("sensitive"):
                flags.append("kShapeSensitive")
            if shape.get("exception"):
                flags.append("kShapeException")
            if shape.get("flattened"):
                flags.append("kShapeFlattened")
            error = shape.get("error", {})
            error_code = self.strings.add(error.get("code", name)) if shape.get("exception") \
                else NO_INDEX
            shape_rows.append((name, "{ShapeType::%s, %s, %d, %d, %d, %d, %d, %s, %s, %d, "
                               "TimestampFormat::%s, %dLL, %dLL}" % (
                                   TYPES[kind], " | ".join(flags) if flags else "0",
                                   self.strings.add(name), first_member, member_count,
                                   first_enum, len(shape.get("enum", [])), self.idx(pattern),
                                   self.idx(error_code), error.get("httpStatusCode", 0),
                                   TIMESTAMP_FORMATS[shape.get("timestampFormat")],
                                   shape.get("min", 0), shape.get("max", 0))))
        errors = []
        op_rows = []
        for op_name in self.operations:
            op = self.model["operations"][op_name]
            first_error = len(errors)
            for e in op.get("errors", []):
                errors.append(self.shape_index[e["shape"]])
            output = op.get("output", {})
            op_rows.append("{%d, %d, %d, %s, %s, %s, %d, %d}" % (
                self.strings.add(op_name), self.strings.add(op["http"]["method"]),
                self.strings.add(op["http"]["requestUri"]),
                self.idx(self.shape_index[op["input"]["shape"]] if "input" in op else NO_INDEX),
                self.idx(self.shape_index[output["shape"]] if output else NO_INDEX),
                self.idx(self.strings.add(output.get("resultWrapper"))),
                first_error, len(errors) - first_error))
        for table, limit in ((members, NO_INDEX), (enum_values, NO_INDEX), (errors, NO_INDEX),
                             (self.strings.items, NO_INDEX), (ranges, NO_INDEX)):
            if len(table) >= limit:
                sys.exit(f"gen-shapes: {self.name} table too large for 16-bit indices")

        out = []
        w = out.append
        w("// clang-format off")
        w(f"// Generated by scripts/gen-shapes.py from the botocore {botocore_version} model "
          f"{self.name} {self.version}.")
        w("// Do not edit: change scripts/shapes/operations.txt or the generator and regenerate.")
        w("")
        w('#include "mock_aws/protocol/generated/service_models.h"')
        w("")
        w("namespace ibsim::mock_aws::protocol::generated {")
        w("namespace {")
        w("")
        w(f"constexpr std::string_view kStrings[] = {{")
        for i, s in enumerate(self.strings.items):
            w(f"    /*{i}*/ {cxx_string(s)},")
        w("};")
        w("")
        w("// {type, flags, name, first_member, member_count, first_enum, enum_count, pattern,")
        w("//  error_code, http_status, timestamp_format, min, max}")
        w("constexpr ShapeModel kShapes[] = {")
        for i, (name, row) in enumerate(shape_rows):
            w(f"    /*{i} {name}*/ {row},")
        w("};")
        w("")
        w("// {name, wire_name, query_name, shape, location, flags, timestamp_format}")
        w("constexpr MemberModel kMembers[] = {")
        for i, (row, comment) in enumerate(zip(members, member_comments)):
            w(f"    /*{i} {comment}*/ {row},")
        w("};")
        w("")
        w("// Per structure, the indices of its members sorted by name (byte order): codecs walk a")
        w("// document's keys (sorted the same way) and the members together.")
        w("constexpr uint16_t kSortedMembers[] = {")
        w(self.wrap_numbers(sorted_members))
        w("};")
        w("")
        w("constexpr uint16_t kEnumValues[] = {")
        w(self.wrap_numbers(enum_values))
        w("};")
        w("")
        w("constexpr uint16_t kErrors[] = {")
        w(self.wrap_numbers(errors))
        w("};")
        w("")
        w("// {source, regex, kind, negated, any_non_ascii, min_count, first_range, range_count}")
        w("constexpr PatternModel kPatterns[] = {")
        for i, p in enumerate(patterns):
            w("    /*%d*/ {%d, %s, PatternKind::%s, %s, %s, %d, %d, %d}," % (
                i, p["source"], self.idx(p["regex"]), p["kind"],
                "true" if p["negated"] else "false", "true" if p["any_non_ascii"] else "false",
                p["min_count"], p["first_range"], p["range_count"]))
        w("};")
        w("")
        w("constexpr CharRange kCharRanges[] = {")
        for lo, hi in ranges:
            w("    {0x%X, 0x%X}," % (lo, hi))
        if not ranges:
            w("    {0, 0},")
        w("};")
        w("")
        w("// {name, http_method, request_uri, input, output, result_wrapper, first_error, "
          "error_count}")
        w("constexpr OperationModel kOperations[] = {")
        for op_name, row in zip(self.operations, op_rows):
            w(f"    /*{op_name}*/ {row},")
        w("};")
        w("")
        xml_namespace = metadata.get("xmlNamespace", "")
        w("constexpr ServiceModel kModel{")
        w(f"    ServiceId::{self.enum_name},")
        w(f"    Protocol::{PROTOCOLS[metadata['protocol']]},")
        for value in (self.name, metadata["apiVersion"], metadata.get("targetPrefix", ""),
                      metadata.get("jsonVersion", ""), xml_namespace,
                      metadata.get("signingName", metadata["endpointPrefix"])):
            w(f"    {cxx_string(value)},")
        w("    kStrings,")
        w("    kShapes,")
        w("    kMembers,")
        w("    kSortedMembers,")
        w("    kEnumValues,")
        w("    kErrors,")
        w("    kPatterns,")
        w("    std::span<const CharRange>(kCharRanges, %d)," % len(ranges))
        w("    kOperations,")
        w("};")
        w("")
        w("}  // namespace")
        w("")
        w(f"const ServiceModel& {self.name}_model() {{")
        w("  return kModel;")
        w("}")
        w("")
        w("}  // namespace ibsim::mock_aws::protocol::generated")
        return "\n".join(out) + "\n", unsupported

    @staticmethod
    def wrap_numbers(numbers):
        if not numbers:
            return "    0,"
        lines = []
        for i in range(0, len(numbers), 16):
            lines.append("    " + ", ".join(str(n) for n in numbers[i:i + 16]) + ",")
        return "\n".join(lines)


def render_header(botocore_version, unsupported):
    out = []
    w = out.append
    w("// clang-format off")
    w(f"// Generated by scripts/gen-shapes.py from the botocore {botocore_version} models.")
    w("// Do not edit: change scripts/shapes/operations.txt or the generator and regenerate.")
    w("#pragma once")
    w("")
    w('#include "mock_aws/protocol/shape_model.h"')
    w("")
    w("namespace ibsim::mock_aws::protocol::generated {")
    w("")
    w(f'inline constexpr std::string_view kBotocoreVersion = "{botocore_version}";')
    w("")
    for name, _, _ in SERVICES:
        w(f"const ServiceModel& {name}_model();")
    w("")
    w("}  // namespace ibsim::mock_aws::protocol::generated")
    w("")
    w("// Patterns the codecs cannot check (Java-only regex syntax):")
    if not unsupported:
        w("//   none")
    for service, pattern in unsupported:
        w(f"//   {service}: {pattern}")
    return "\n".join(out) + "\n"


def generate(out_dir):
    import botocore
    import botocore.loaders

    loader = botocore.loaders.create_loader()
    wanted = load_operations()
    unknown = set(wanted) - {s for s, _, _ in SERVICES}
    if unknown:
        sys.exit(f"gen-shapes: unknown services in operations.txt: {sorted(unknown)}")
    os.makedirs(out_dir, exist_ok=True)
    unsupported = []
    files = {}
    for name, version, enum_name in SERVICES:
        model = loader.load_service_model(name, "service-2", version)
        tables = ServiceTables(name, version, enum_name, model, wanted.get(name, []))
        text, bad = tables.render(botocore.__version__)
        unsupported += [(name, p) for p in bad]
        files[f"{name}_model.cc"] = text
    files["service_models.h"] = render_header(botocore.__version__, unsupported)
    for file_name, text in files.items():
        with open(os.path.join(out_dir, file_name), "w", encoding="utf-8") as f:
            f.write(text)
    return sorted(files)


def recorded_version():
    try:
        with open(os.path.join(GENERATED_DIR, "service_models.h"), encoding="utf-8") as f:
            m = re.search(r'kBotocoreVersion = "([^"]+)"', f.read())
            return m.group(1) if m else None
    except OSError:
        return None


def check():
    try:
        import botocore
    except ImportError:
        print("SKIP: botocore is not importable; cannot check the generated shape tables")
        return SKIP
    recorded = recorded_version()
    if recorded != botocore.__version__:
        print(f"SKIP: the tables were generated from botocore {recorded}, this machine has "
              f"{botocore.__version__}; regenerate with scripts/gen-shapes.py to compare")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        names = generate(tmp)
        committed = sorted(n for n in os.listdir(GENERATED_DIR)
                           if os.path.isfile(os.path.join(GENERATED_DIR, n)))
        stale = False
        if committed != names:
            print(f"generated files differ: committed {committed}, generator writes {names}")
            stale = True
        for name in names:
            path = os.path.join(GENERATED_DIR, name)
            with open(os.path.join(tmp, name), encoding="utf-8") as f:
                fresh = f.read().splitlines(keepends=True)
            try:
                with open(path, encoding="utf-8") as f:
                    old = f.read().splitlines(keepends=True)
            except OSError:
                old = []
            if fresh != old:
                stale = True
                diff = list(difflib.unified_diff(old, fresh, path, "regenerated", n=1))
                sys.stdout.writelines(diff[:40])
        if stale:
            print("the committed shape tables are stale: run scripts/gen-shapes.py and commit")
            return 1
    print("shape tables are up to date")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=GENERATED_DIR)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        return check()
    try:
        import botocore  # noqa: F401
    except ImportError:
        print("gen-shapes: botocore is not importable (pip install botocore)")
        return 1
    for name in generate(args.out):
        print(os.path.join(args.out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
