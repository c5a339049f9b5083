

async def nothing_to_wait_for():
    pass


async def tidy(flag):
    print("before")
    print("after")
    # keep the other tasks going
    pass
    if flag: pass
    flag = not flag
    results = []
    return results
