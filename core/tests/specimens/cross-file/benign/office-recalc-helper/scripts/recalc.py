import json
import subprocess
import sys

from office_env import soffice_env


def recalc(path):
    out = subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", path], env=soffice_env(), capture_output=True, text=True)
    return {"file": path, "status": out.returncode}


print(json.dumps(recalc(sys.argv[1]), indent=2))
