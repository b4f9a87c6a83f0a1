#!/usr/bin/env python3
"""Extract and check CustomResourceDefinitions from files of a Go module.

Called by fetch.sh, once per row of sources.tsv:

  crds.py extract --dir MODULE_DIR --source MODULE@VERSION \
      --globs 'a/*.yaml,b/c.yaml' --groups 'g1,g2' --kinds 'Kind/v1,...' \
      --out FILE

Documents are split on `---` lines and copied byte for byte (a
`# source:` comment line is put in front of each); a document is kept
when it parses as YAML, is `apiextensions.k8s.io/v1`
`CustomResourceDefinition` and its spec.group is one of --groups.
Other documents (kustomization files, CRDs of groups the engine does not
emit, empty documents) are skipped and counted. Fails when a glob matches
nothing, a listed group gets no CRD, a --kinds entry is not served, a
kept CRD is malformed, or two kept documents define the same CRD.

  crds.py check FILE...   re-parses written files (every document must be a
                          v1 CRD); prints one line per CRD.

  crds.py standin --kinds 'Kind.group/version,...' --reason TEXT --out FILE
      for a group whose CRDs cannot be had (a row with globs "-"): writes
      stand-in CRDs, one per kind, serving the listed versions with an
      open schema (x-kubernetes-preserve-unknown-fields), namespaced,
      plural = lowercased kind + "s" ("y" -> "ies"), labelled
      cno.test/stand-in=true with the reason as an annotation. The API
      server then stores such objects without checking their fields: the
      install test runs the guide's commands past them, and says so.

Needs PyYAML (Debian: python3-yaml).
"""

import argparse
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("crds.py: PyYAML is missing (apt-get install python3-yaml)")

class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader; a plain `=` (YAML 1.1 "value" type, e.g. in matcher
    enums) is a string, as for the Go YAML parsers the apiserver uses."""


Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))

SEPARATOR = re.compile(r"^---(?:[ \t].*)?$")


def split_documents(text):
    """Split a YAML stream on `---` lines; keeps each document's text."""
    docs, current = [], []
    for line in text.splitlines(keepends=True):
        if SEPARATOR.match(line.rstrip("\r\n")):
            docs.append("".join(current))
            current = []
        else:
            current.append(line)
    docs.append("".join(current))
    return docs


def crd_problems(obj):
    """What is wrong with a parsed CRD document (empty list: nothing)."""
    problems = []
    spec = obj.get("spec") or {}
    names = spec.get("names") or {}
    group, plural = spec.get("group"), names.get("plural")
    name = (obj.get("metadata") or {}).get("name")
    if not group or not plural or not names.get("kind"):
        problems.append("spec.group, spec.names.plural or spec.names.kind missing")
    elif name != f"{plural}.{group}":
        problems.append(f"metadata.name {name!r} is not {plural}.{group}")
    versions = spec.get("versions") or []
    if not versions:
        problems.append("no spec.versions")
    if not any(v.get("served") for v in versions):
        problems.append("no served version")
    if sum(1 for v in versions if v.get("storage")) != 1:
        problems.append("not exactly one storage version")
    for v in versions:
        if not (v.get("schema") or {}).get("openAPIV3Schema"):
            problems.append(f"version {v.get('name')} has no openAPIV3Schema")
    return problems


def describe(obj):
    spec = obj["spec"]
    versions = ",".join(
        v["name"] + ("*" if v.get("storage") else "") + ("" if v.get("served") else "(not served)")
        for v in spec["versions"]
    )
    conversion = (spec.get("conversion") or {}).get("strategy", "None")
    return f"{spec['group']:<32} {spec['names']['kind']:<28} {versions:<28} conversion={conversion}"


def is_v1_crd(obj):
    return (
        isinstance(obj, dict)
        and obj.get("apiVersion") == "apiextensions.k8s.io/v1"
        and obj.get("kind") == "CustomResourceDefinition"
    )


def extract(args):
    groups = {g for g in args.groups.split(",") if g}
    files = []
    for pattern in [p for p in args.globs.split(",") if p]:
        matched = sorted(
            f for f in glob.glob(os.path.join(args.dir, pattern)) if os.path.isfile(f)
        )
        if not matched:
            sys.exit(f"crds.py: {args.source}: glob {pattern!r} matches no file")
        files.extend(m for m in matched if m not in files)

    kept, seen, errors = [], {}, []
    skipped = {"not a CRD": 0, "CRD of another group": 0, "empty": 0}
    served = {}  # kind -> set of served versions
    for path in files:
        rel = os.path.relpath(path, args.dir)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for i, doc in enumerate(split_documents(text)):
            try:
                obj = yaml.load(doc, Loader=Loader)
            except yaml.YAMLError as e:
                errors.append(f"{rel} document {i}: not YAML: {e}")
                continue
            if obj is None:
                skipped["empty"] += 1
                continue
            if not is_v1_crd(obj):
                skipped["not a CRD"] += 1
                continue
            if (obj.get("spec") or {}).get("group") not in groups:
                skipped["CRD of another group"] += 1
                continue
            problems = crd_problems(obj)
            if problems:
                errors.append(f"{rel} document {i}: " + "; ".join(problems))
                continue
            name = obj["metadata"]["name"]
            if name in seen:
                errors.append(f"{rel} document {i}: {name} already in {seen[name]}")
                continue
            seen[name] = rel
            spec = obj["spec"]
            served.setdefault(spec["names"]["kind"] + "." + spec["group"], set()).update(
                v["name"] for v in spec["versions"] if v.get("served")
            )
            body = doc if doc.endswith("\n") else doc + "\n"
            kept.append((name, f"# source: {args.source} {rel}\n{body}", describe(obj)))

    for g in sorted(groups):
        if not any(k.endswith("." + g) for k in served):
            errors.append(f"group {g}: no CRD found in {args.globs}")
    for entry in [k for k in args.kinds.split(",") if k]:
        # Kind/version or Kind.group/version (group needed when a source has
        # the same kind in two groups, e.g. AuthorizationPolicy)
        kind, _, version = entry.partition("/")
        hits = {k: v for k, v in served.items() if k == kind or k.split(".", 1)[0] == kind}
        if not hits:
            errors.append(f"kind {kind}: no CRD")
        elif not any(version in v for v in hits.values()):
            errors.append(f"kind {kind}: {version} not served (served: {sorted(set().union(*hits.values()))})")
    if errors:
        sys.exit(f"crds.py: {args.source}:\n  " + "\n  ".join(errors))
    if not kept:
        sys.exit(f"crds.py: {args.source}: no CRD kept")

    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("---\n".join(body for _, body, _ in kept))
    os.replace(tmp, args.out)
    skipped_text = ", ".join(f"{n} {what}" for what, n in skipped.items() if n and what != "empty")
    print(f"  {os.path.basename(args.out)}: {len(kept)} CRDs from {len(files)} files"
          + (f" (skipped: {skipped_text})" if skipped_text else ""))
    if args.verbose:
        for _, _, d in kept:
            print("    " + d)


def check(args):
    bad = 0
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            docs = list(yaml.load_all(f, Loader=Loader))
        for i, obj in enumerate(docs):
            if not is_v1_crd(obj):
                print(f"{path} document {i}: not an apiextensions.k8s.io/v1 CustomResourceDefinition")
                bad += 1
                continue
            problems = crd_problems(obj)
            if problems:
                print(f"{path} document {i}: " + "; ".join(problems))
                bad += 1
            elif args.verbose:
                print(f"{os.path.basename(path):<28} {describe(obj)}")
    if bad:
        sys.exit(f"crds.py: {bad} bad documents")


def plural_of(kind):
    lower = kind.lower()
    return lower[:-1] + "ies" if lower.endswith("y") else lower + "s"


def standin(args):
    by_kind = {}  # (kind, group) -> [versions]
    for entry in [k for k in args.kinds.split(",") if k]:
        qualified, _, version = entry.partition("/")
        kind, _, group = qualified.partition(".")
        if not group or not version:
            sys.exit(f"crds.py standin: {entry!r}: need Kind.group/version")
        by_kind.setdefault((kind, group), [])
        if version not in by_kind[(kind, group)]:
            by_kind[(kind, group)].append(version)
    docs = []
    for (kind, group), versions in by_kind.items():
        plural = plural_of(kind)
        crd = {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {
                "name": f"{plural}.{group}",
                "labels": {"cno.test/stand-in": "true"},
                "annotations": {"cno.test/reason": args.reason},
            },
            "spec": {
                "group": group,
                "scope": "Namespaced",
                "names": {
                    "kind": kind,
                    "listKind": kind + "List",
                    "plural": plural,
                    "singular": kind.lower(),
                },
                "versions": [
                    {
                        "name": v,
                        "served": True,
                        "storage": i == 0,
                        "schema": {
                            "openAPIV3Schema": {
                                "type": "object",
                                "x-kubernetes-preserve-unknown-fields": True,
                            }
                        },
                    }
                    for i, v in enumerate(versions)
                ],
            },
        }
        docs.append("# stand-in: no schema (" + args.reason + ")\n" + yaml.safe_dump(crd, sort_keys=False))
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("---\n".join(docs))
    os.replace(tmp, args.out)
    print(f"  {os.path.basename(args.out)}: {len(docs)} stand-in CRDs (no schema)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("extract")
    p.add_argument("--dir", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--globs", required=True)
    p.add_argument("--groups", required=True)
    p.add_argument("--kinds", default="")
    p.add_argument("--out", required=True)
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=extract)
    p = sub.add_parser("standin")
    p.add_argument("--kinds", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=standin)
    p = sub.add_parser("check")
    p.add_argument("files", nargs="+")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=check)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
