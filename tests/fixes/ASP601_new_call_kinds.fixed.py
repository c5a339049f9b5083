# fix-options: --unsafe-fixes

import os
import subprocess

import httpx
import urllib3
import asyncio


async def release(version, client: httpx.Client, pool: urllib3.PoolManager):
    if await asyncio.to_thread(input, f"release {version}? ") != "y":
        return None
    tag = await asyncio.to_thread(subprocess.getoutput, "git describe --tags")
    await asyncio.to_thread(os.system, f"git tag {version}")
    builder = await asyncio.to_thread(subprocess.Popen, ["make", "dist"])
    status = await asyncio.to_thread(builder.wait)
    pid = await asyncio.to_thread(os.spawnlp, os.P_NOWAIT, "notify-send", "notify-send", version)
    await asyncio.to_thread(os.waitpid, pid, 0)
    await asyncio.to_thread(httpx.post, "https://hooks.example.com/release", json={"tag": tag})
    uploaded = (await asyncio.to_thread(client.put, f"/releases/{version}", content=b"")).is_success
    return status, uploaded, (await asyncio.to_thread(pool.request, "GET", "https://example.com/health")).status
