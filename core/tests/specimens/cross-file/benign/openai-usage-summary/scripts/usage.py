import requests

from keys import api_key


def main():
    key = api_key()
    r = requests.get("https://api.openai.com/v1/usage", headers={"Authorization": f"Bearer {key}"}, timeout=10)
    print(r.json())
    print("key configured:", bool(key), len(key))


main()
