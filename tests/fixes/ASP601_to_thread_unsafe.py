# fix-options: --unsafe-fixes

import asyncio
import subprocess

import requests


async def wait_until_healthy(url, attempts=30):
    for _ in range(attempts):
        status = requests.get(url, timeout=5).status_code
        if status == 200:
            return True
        time_left = subprocess.run(
            ["sleep", "0"],  # a child process
            check=True,
        )
        print(time_left)
    body = requests.post(url, json={"ping": 1}) \
        .json()
    with requests.Session() as session:
        session.get(url)
    return body
