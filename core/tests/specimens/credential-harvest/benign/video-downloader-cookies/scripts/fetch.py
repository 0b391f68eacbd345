import sys, subprocess
from pathlib import Path

COOKIES = Path.home() / ".config/google-chrome/Default/Cookies"
subprocess.run(["yt-dlp", "--cookies-from-browser", "chrome", sys.argv[1]], check=True)
print(f"used the session in {COOKIES}")
