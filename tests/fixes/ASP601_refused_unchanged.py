import subprocess
import time


async def build():
    # unsafe without --unsafe-fixes: the call would run in another thread
    subprocess.run(["make"], check=True)
    # an await would make the generator expression asynchronous
    return sum(1 for _ in [time.sleep(0)])
