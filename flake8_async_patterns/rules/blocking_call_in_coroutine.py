"""ASP601"""
from __future__ import annotations

import ast

from ..analysis.coroutines import Qualified
from ..registry import rule

RULE = rule("ASP601", "blocking-call-in-coroutine",
            "a well-known blocking call directly inside an async def stalls the event loop",
            doc=__doc__, fix="safe (time.sleep); unsafe (the others)")

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
BLOCKING = frozenset({
    "time.sleep", "urllib.request.urlopen", "socket.create_connection",
    "subprocess.run", "subprocess.call", "subprocess.check_output", "subprocess.check_call",
    *(f"requests.{verb}" for verb in HTTP_VERBS),
    *(f"requests.api.{verb}" for verb in HTTP_VERBS),
    *(f"requests.Session.{verb}" for verb in HTTP_VERBS),
    *(f"requests.sessions.Session.{verb}" for verb in HTTP_VERBS),
})
FINAL_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in BLOCKING)


@RULE.on(ast.Call)
def check(node, ctx):
    func = node.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if last is None or (last not in FINAL_NAMES and not ctx.facts.import_aliases.get(last, set()) & FINAL_NAMES):
        return
    if not isinstance(ctx.function, ast.AsyncFunctionDef):
        return  # module level, a nested sync def or a lambda: not on the event loop here
    resolved = ctx.resolver.resolve(func, ctx.scope)
    if not isinstance(resolved, Qualified) or resolved.name not in BLOCKING:
        return
    name = resolved.name
    if name == "time.sleep":
        advice = "use 'await asyncio.sleep(...)'"
    else:
        advice = f"run it in a thread: 'await asyncio.to_thread({ast.unparse(func)}, ...)'"
    yield RULE.at(node, f"'{name}' blocks the event loop inside 'async def {ctx.function.name}'; {advice}",
                  api=name, safe=name == "time.sleep")
