# fix-options: --unsafe-fixes

import os
import subprocess

import httpx
import urllib3


async def release(version, client: httpx.Client, pool: urllib3.PoolManager):
    if input(f"release {version}? ") != "y":
        return None
    tag = subprocess.getoutput("git describe --tags")
    os.system(f"git tag {version}")
    builder = subprocess.Popen(["make", "dist"])
    status = builder.wait()
    pid = os.spawnlp(os.P_NOWAIT, "notify-send", "notify-send", version)
    os.waitpid(pid, 0)
    httpx.post("https://hooks.example.com/release", json={"tag": tag})
    uploaded = client.put(f"/releases/{version}", content=b"").is_success
    return status, uploaded, pool.request("GET", "https://example.com/health").status
