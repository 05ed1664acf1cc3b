#!/usr/bin/env python3
"""The tree's own rules, checked by `make lint` (bin/check_structure.py) (issue 14): what a newcomer finds done one way.

- no hand-written Python module over 500 lines (migrations aside);
- no import cycle between the modules of one app (module-level imports);
- no role code spelled in a template (templates ask `{% may %}` or `{% can_open %}`);
- no `groups.filter(` outside portal/roles.py (roles are asked through `has_role`, people through `people_with`).
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500
ROLES = "staff|dept_head|it_officer|it_head|dba|secrecy_reviewer|leader|hr|auditor|vendor_engineer"
# A template tag (not a translated sentence) with a role code inside a quoted argument, or the old filter.
ROLE_IN_TEMPLATE = re.compile(
    r"\{%\s*(?!\s|trans|blocktrans)[^%]*[\"'][^\"']*\b(" + ROLES + r")\b[^\"']*[\"'][^%]*%\}|\|has_role:"
)


def tracked(pattern):
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", pattern],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ROOT / line for line in out.splitlines() if (ROOT / line).exists()]


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path, name):
    """Module-level imports (not inside functions), resolved to absolute module names."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def cycles(python_files):
    modules = {module_name(path): path for path in python_files}
    graph = {}
    for name, path in modules.items():
        app = name.split(".")[0]
        graph[name] = {
            target
            for target in imports_of(path, name)
            if target in modules
            and target != name
            and target.split(".")[0] == app
            and not name.startswith(target + ".")
        }
    found, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                found.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def main():
    python_files = [p for p in tracked("*.py") if "migrations" not in p.parts and ".venv" not in p.parts]
    problems = []
    for path in python_files:
        lines = len(path.read_text().splitlines())
        if lines > LIMIT:
            problems.append(f"{path.relative_to(ROOT)}: {lines} lines (at most {LIMIT})")
    app_files = [p for p in python_files if p.parts[len(ROOT.parts)] not in {"tests", "bin"}]
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(app_files)]
    for path in tracked("templates/*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_IN_TEMPLATE.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: a role spelled in a template")
    for path in python_files:
        if (
            path.relative_to(ROOT).as_posix() not in {"portal/roles.py", "bin/check_structure.py"}
            and "groups.filter(" in path.read_text()
        ):
            problems.append(f"{path.relative_to(ROOT)}: groups.filter( outside portal/roles.py")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
