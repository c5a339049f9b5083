"""ASP304"""
from __future__ import annotations

import ast

from ..analysis.fanout import WAITS
from ..analysis.outcomes import awaited_outcome, leaves_pending, new_work
from ..registry import rule

RULE = rule("ASP304", "pending-tasks-leaked",
            "asyncio.wait() can return with tasks still running, and the pending set is dropped",
            doc=__doc__, fix="safe")

HANDLED = frozenset({"passed", "stored", "returned", "awaited", "cancelled", "copied", "tested"})


def pending_handled(outcome, uses) -> bool:
    if outcome.how == "assigned":
        return bool(uses.of(outcome.names))  # the (done, pending) pair kept whole: used somehow
    if outcome.how != "unpacked" or len(outcome.targets) != 2:
        return outcome.how not in ("discarded",)
    pending = outcome.targets[1]
    if not isinstance(pending, ast.Name):
        return True
    if pending.id == "_":
        return False
    return any(use.kind in HANDLED for use in uses.of({pending.id}))


TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.ensure_future", "asyncio.Task",
                            "asyncio.tasks.create_task", "asyncio.tasks.ensure_future", "asyncio.tasks.Task"})


def _task_factory(call: ast.Call, ctx, scope) -> bool:
    if isinstance(call.func, ast.Attribute) and call.func.attr == "create_task":
        return True
    return ctx.resolver.qualified_name(call.func, scope) in TASK_FACTORIES


def _only_reachable_through_pending(call: ast.Call, ctx, scope, uses) -> bool:
    """The waited tasks were made for this wait, and nothing else keeps them: a literal or
    comprehension of new tasks, or a local list of them that is not read after the wait."""
    awaitables = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("fs", "aws")), None)
    if awaitables is None:
        return False
    # wait() takes tasks and futures: only a task made right here (create_task, a coroutine)
    # is new work; a call that hands back an existing future is not
    made = [c for c in new_work(awaitables, ctx.facts, scope)
            if _task_factory(c, ctx, scope) or ctx.resolver.coroutine_call(c, scope) is not None]
    if not made:
        return False
    if isinstance(awaitables, ast.Name):
        later = [u for u in uses.of({awaitables.id}) if u.node.lineno > call.end_lineno or u.node.lineno < call.lineno]
        return all(u.kind == "inspected" for u in later)
    return True


@RULE.on(ast.Call)
def check(node, ctx):
    if not isinstance(ctx.parent, ast.Await) or ctx.call_named(node, WAITS) is None:
        return
    scope, function = ctx.scope, ctx.function
    reason = leaves_pending(node, ctx.facts, scope)
    outcome = awaited_outcome(ctx)
    if reason is None or outcome is None or function is None:
        return
    uses = ctx.facts.uses(function)
    if pending_handled(outcome, uses) or not _only_reachable_through_pending(node, ctx, scope, uses):
        return
    why = "times out" if reason == "timeout" else f"returns at {reason}"
    pending = outcome.targets[1].id if outcome.how == "unpacked" and len(outcome.targets) == 2 \
        and isinstance(outcome.targets[1], ast.Name) else None
    yield RULE.at(node, f"asyncio.wait() {why} with the other tasks still running, and the "
                  "pending set is never cancelled or awaited; cancel what is pending",
                  reason=reason, how=outcome.how, pending=pending)
