PINS = [
    "torch @ https://download.pytorch.org/whl/cu121/torch-2.3.0%2Bcu121-cp311-cp311-linux_x86_64.whl",
    "ourlib @ git+https://github.com/acme/ourlib.git@v1.4.2",
]
with open("requirements.txt", "a") as f:
    f.write("\n".join(PINS) + "\n")
