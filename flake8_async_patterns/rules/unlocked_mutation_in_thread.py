"""## What it does
Finds read-modify-write updates of shared state, made without a lock, in a
function that the same module runs in other threads. The function counts as
run in threads when it is passed to:
- `threading.Thread(target=...)` or `threading.Timer(interval, function)`;
- `submit()` or `map()` of a `concurrent.futures` executor (an object made
  from an executor class, or whose name ends in `executor`);
- `loop.run_in_executor(executor, function)` or `asyncio.to_thread(function)`.

An executor made from `ProcessPoolExecutor` does not count: each worker
process has its own copy of the state, so there is nothing to share (and
nothing comes back).

It may be passed by name, as a method (`self.download`), wrapped in
`functools.partial(function, ...)`, or called by a lambda
(`lambda: function(x)`), and it must be a plain `def` that the tool finds in
the same module: a module-level function, a nested function or a method.

The updates reported are `x op= ...` (`+=`, `-=`, `|=`, ...) and
`x = <expression that uses x>` (`self.count = self.count + 1`, or for an
item `COUNTS[key] = COUNTS.get(key, 0) + 1`), where `x` is
shared state: a name declared `global` or `nonlocal`, an attribute of `self`
or `cls`, an attribute of an object bound at module level, or an item of a
module-level container or of a `self` attribute (`TOTALS[key] += n`). The
finding is on the update and names the function and the line that hands it
to a thread; an update is reported once even when the function is handed
over several times.

It leaves alone:
- updates inside `with` on a lock: an object made from the lock, semaphore
  and condition classes of `threading`, `multiprocessing`, `asyncio`, `anyio`
  and `trio`, or one whose name says it is a lock (`self._lock`, `mutex`);
- plain stores and method calls: `self.last_error = error`,
  `RESULTS[key] = value`, `results.put(value)` on a `queue.Queue`,
  `next(ids)` on an `itertools.count()`;
- a `nonlocal` name written by only one thread: the closure is handed over
  once (its only use), outside any loop, to a call that runs it in one thread
  (`Thread`, `Timer`, `submit`, `to_thread`, `run_in_executor`), and the
  function that defines it writes the name only before the hand-off;
- an item whose key is a parameter that each thread gets a different value
  for (`self.output[name] += len(chunk)`, the function handed over once, in
  one loop over `range()`, an `enumerate()` index or distinct constants such
  as `for pipe, name in ((out, "stdout"), (err, "stderr")):`, or
  `executor.map(function, range(n))`): no other thread touches that item, and
  storing an item is a single step. A key that threads can share
  (`self.counts[kind] += 1` with the same `kind`) is still reported;
- updates in functions that the handed-over function calls, and in functions
  or lambdas nested in it: only its own body is checked;
- functions that are only called directly, and `async def` functions (a
  coroutine function handed to a thread is [ASP104](ASP104.md)'s concern).

## Why is this bad?
Threads really do interleave, statement by statement and even inside a
statement. `self.bytes_read += len(data)` is not one step: the interpreter
loads the current value, computes `len(data)`, adds, and stores the result, as
separate bytecode instructions. The global interpreter lock only promises that
one instruction runs at a time, not that a whole statement does. When the
interpreter switches threads between the load and the store, two threads
both read the same old value and both store old value plus their own amount,
so one of the two updates is gone.

Nothing raises: the count, sum or size just comes out too low now and then.
Since Python 3.10, CPython looks for a chance to switch threads at fewer
places, which makes the loss rare in a quick test, but the statement is still
not atomic and the bug shows up under load or in another version. On the
free-threaded build of CPython (PEP 703, available from 3.13), threads run
truly in parallel and updates are lost far more often.

## Example
```python
import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class Checksummer:
    def __init__(self) -> None:
        self.bytes_read = 0
        self.digests: dict[str, str] = {}

    def checksum(self, path: Path) -> None:
        data = path.read_bytes()
        self.digests[str(path)] = hashlib.sha256(data).hexdigest()
        self.bytes_read += len(data)

    def checksum_all(self, paths: list[Path]) -> int:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(self.checksum, paths))
        return self.bytes_read
```

## Use instead
```python
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class Checksummer:
    def __init__(self) -> None:
        self.bytes_read = 0
        self.digests: dict[str, str] = {}
        self._lock = threading.Lock()

    def checksum(self, path: Path) -> None:
        data = path.read_bytes()
        self.digests[str(path)] = hashlib.sha256(data).hexdigest()
        with self._lock:
            self.bytes_read += len(data)

    def checksum_all(self, paths: list[Path]) -> int:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(self.checksum, paths))
        return self.bytes_read
```
Keep the slow work (reading and hashing the file) outside the lock and hold it
only for the update. Often there is no need to share the counter at all: let
each call return its size and add them up in the calling thread,
`sum(pool.map(size_of, paths))`.

## Fix safety
Report only: there is no automatic fix, because which lock to use, what it
must cover, and whether the state should be shared at all depend on the code.

## Options
None.

## References
- [Python docs: threading lock objects](https://docs.python.org/3/library/threading.html#lock-objects)
- [Python FAQ: what kinds of global value mutation are thread-safe?](https://docs.python.org/3/faq/library.html#what-kinds-of-global-value-mutation-are-thread-safe)
- [Python docs: free-threaded CPython](https://docs.python.org/3/howto/free-threading-python.html)
- [PEP 703: making the global interpreter lock optional](https://peps.python.org/pep-0703/)
- [Python docs: concurrent.futures](https://docs.python.org/3/library/concurrent.futures.html)
- Related rules: [ASP501](ASP501.md) and [ASP502](ASP502.md) for lost updates
  between asyncio tasks.
"""  # noqa: E501 - the links of the rule page
from __future__ import annotations

import ast

from ..analysis.callbacks import argument, is_executor
from ..analysis.coroutines import Defs
from ..analysis.vocabulary import last_names
from ..analysis.dependence import own_nodes
from ..analysis.scopes import COMPREHENSIONS, FUNCTIONS
from ..analysis.state import is_lock, reads_target, shared_target
from ..registry import rule

RULE = rule("ASP503", "unlocked-mutation-in-thread",
            "a function run in threads does read-modify-write on shared state without a lock",
            doc=__doc__)

THREAD_STARTERS = {  # qualified callable -> (position, keyword) of the function it runs in a thread
    "threading.Thread": (None, "target"),
    "threading.Timer": (1, "function"),
    "asyncio.to_thread": (0, None),
    "asyncio.threads.to_thread": (0, None),
}


def thread_target(call: ast.Call, ctx):
    """(how, expression) when `call` runs the function `expression` in another thread."""
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr == "run_in_executor":
            if call.args and runs_in_processes(call.args[0], ctx):
                return None
            return "run_in_executor", argument(call, 1, None)
        if func.attr in ("submit", "map") and is_executor(func.value, ctx.facts, ctx.get_scope) \
                and not runs_in_processes(func.value, ctx):
            return f"executor.{func.attr}", argument(call, 0, "fn")
    name = ctx.call_named(call, frozenset(THREAD_STARTERS))
    if name:
        return name, argument(call, *THREAD_STARTERS[name])
    return None


def functions_run(expr: ast.AST, ctx) -> list[tuple[ast.AST, object]]:
    """The local (sync) functions that calling `expr` runs: a reference, a partial, a lambda's call."""
    resolver, scope = ctx.resolver, ctx.scope
    if isinstance(expr, ast.Lambda) and isinstance(expr.body, ast.Call):
        expr, scope = expr.body.func, ctx.facts.child_scope(expr, scope)
    elif isinstance(expr, ast.Call) and expr.args and resolver.qualified_name(expr.func, scope) == "functools.partial":
        expr = expr.args[0]
    resolved = resolver.resolve(expr, scope) if isinstance(expr, (ast.Name, ast.Attribute)) else None
    if not isinstance(resolved, Defs):
        return []
    return [(node, ctx.facts.child_scope(node, resolved.scope)) for node in resolved.nodes
            if isinstance(node, ast.FunctionDef)]


def runs_in_processes(receiver: ast.AST, ctx) -> bool:
    """An executor made from ProcessPoolExecutor: each worker has its own copy of the state."""
    if isinstance(receiver, ast.Call):
        return (ctx.resolver.qualified_name(receiver.func, ctx.scope) or "").endswith("ProcessPoolExecutor")
    if isinstance(receiver, ast.Name):
        found = ctx.scope.lookup(receiver.id)
        return bool(found) and all(runs_in_processes(b.value, ctx) for b in found[1] if b.value is not None) \
            and any(b.value is not None for b in found[1])
    return False


def unlocked_mutations(function: ast.FunctionDef, scope, resolver):
    """(statement, shared state) for `x op= ...` and `x = f(x)` on shared state outside a lock."""
    todo = [(statement, False) for statement in function.body]
    while todo:
        node, locked = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                is_lock(item.context_expr, resolver, scope) for item in node.items):
            locked = True
        if not locked and isinstance(node, ast.AugAssign):
            state = shared_target(node.target, scope)
            if state:
                yield node, state
        elif not locked and isinstance(node, ast.Assign) and len(node.targets) == 1:
            state = shared_target(node.targets[0], scope)
            if state and reads_target(node.targets[0], node.value):
                yield node, state
        todo.extend((child, locked) for child in ast.iter_child_nodes(node))


ONE_THREAD = frozenset({"threading.Thread", "threading.Timer", "asyncio.to_thread", "asyncio.threads.to_thread",
                        "run_in_executor", "executor.submit"})  # each hand-off runs the function once


def no_other_thread_writes(statement, state: str, function, handoff: ast.Call, how: str, ctx) -> bool:
    """Exactly one thread writes the value: the update is of a `nonlocal` name, the function is
    handed over once (its one use), outside any loop, by a call that runs it in one thread, and
    the enclosing function writes the name only before that hand-off."""
    if how not in ONE_THREAD or not isinstance(statement, ast.AugAssign | ast.Assign):
        return False
    target = statement.target if isinstance(statement, ast.AugAssign) else statement.targets[0]
    owner = ctx.function
    if not isinstance(target, ast.Name) or target.id not in nonlocal_names(function) \
            or not isinstance(owner, FUNCTIONS) or not in_own_body(function, owner) or in_loop(ctx.path):
        return False
    uses = [n for n in ast.walk(owner) if isinstance(n, ast.Name) and n.id == function.name]
    if len(uses) != 1:
        return False
    inside = {id(n) for n in ast.walk(function)}
    for node in ast.walk(owner):
        if isinstance(node, ast.Name) and node.id == state and not isinstance(node.ctx, ast.Load) \
                and id(node) not in inside and (node.lineno >= handoff.lineno or not in_own_body(node, owner)):
            return False
        if isinstance(node, ast.Nonlocal) and state in node.names and id(node) not in inside:
            return False
    return True


def nonlocal_names(function) -> set[str]:
    return {name for n in ast.walk(function) if isinstance(n, ast.Nonlocal) for name in n.names}


def in_own_body(node: ast.AST, function) -> bool:
    """`node` is in `function`'s own code (a def: defined there), not in a function nested in it."""
    return any(node is n for n in own_nodes(function.body)) or any(
        node is child for n in [function, *own_nodes(function.body)] for child in ast.iter_child_nodes(n))


def in_loop(path) -> bool:
    """The last node of `path` runs in a loop or a comprehension of its function."""
    for node in reversed(path[:-1]):
        if isinstance(node, (*FUNCTIONS, ast.Lambda)):
            return False
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While, *COMPREHENSIONS)):
            return True
    return False


def own_key_per_thread(statement, function, handoff: ast.Call, how: str, handed: ast.AST, ctx) -> bool:
    """`self.output[name] += n` where `name` is a parameter of the function and every thread
    is given a different value for it (one hand-off, in one loop over distinct values): each
    thread updates only its own item, and storing an item is atomic."""
    target = statement.target if isinstance(statement, ast.AugAssign) else statement.targets[0]
    if not isinstance(handed, ast.Name | ast.Attribute) or not isinstance(target, ast.Subscript) \
            or not isinstance(target.slice, ast.Name):
        return False
    key = target.slice.id
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    bound = params[:1] in (["self"], ["cls"])
    if bound:
        params = params[1:]
    if key not in params + [a.arg for a in function.args.kwonlyargs] or any(
            isinstance(n, ast.Name) and n.id == key and not isinstance(n.ctx, ast.Load) for n in ast.walk(function)):
        return False
    if handed_over_count(function.name, ctx) != 1:
        return False
    if how == "executor.map":
        return params[:1] == [key] and len(handoff.args) == 2 and distinct_values(handoff.args[1])
    passed = passed_argument(handoff, how, key, params)
    return passed is not None and distinct_per_pass(passed, ctx.path)


def handed_over_count(name: str, ctx) -> int:
    """How often the module names the function (by name or as an attribute): once means only the hand-off."""
    counts = ctx.facts.memo(("ASP503 names",), dict)
    if name not in counts:
        counts[name] = sum(1 for n in ast.walk(ctx.facts.tree)
                           if (isinstance(n, ast.Name) and n.id == name)
                           or (isinstance(n, ast.Attribute) and n.attr == name))
    return counts[name]


def passed_argument(handoff: ast.Call, how: str, key: str, params: list[str]):
    """The expression the hand-off gives parameter `key`: `args=(...)`/`kwargs={...}` of a
    Thread or Timer, or the arguments after the function of submit, to_thread, run_in_executor."""
    if how in ("threading.Thread", "threading.Timer"):
        args = argument(handoff, None, "args")
        kwargs = argument(handoff, None, "kwargs")
        positional = args.elts if isinstance(args, ast.Tuple | ast.List) else []
        keywords = dict(zip(kwargs.keys, kwargs.values)) if isinstance(kwargs, ast.Dict) else {}
        keywords = {k.value: v for k, v in keywords.items() if isinstance(k, ast.Constant)}
    else:
        skip = 2 if how == "run_in_executor" else 1
        positional = handoff.args[skip:]
        keywords = {k.arg: k.value for k in handoff.keywords}
    if any(isinstance(a, ast.Starred) for a in positional):
        return None
    if key in keywords:
        return keywords[key]
    index = params.index(key) if key in params else len(positional)
    return positional[index] if index < len(positional) else None


def distinct_per_pass(expr: ast.AST, path) -> bool:
    """`expr` is a variable of the one loop around the hand-off, and that loop gives it a
    different value on every pass (`range()`, an `enumerate()` index, distinct constants)."""
    if not isinstance(expr, ast.Name):
        return False
    loops = []
    for node in reversed(path[:-1]):
        if isinstance(node, (*FUNCTIONS, ast.Lambda)):
            break
        if isinstance(node, ast.For):
            loops.append((node.target, node.iter, node.body))
        elif isinstance(node, (ast.AsyncFor, ast.While)):
            loops.append(None)
        elif isinstance(node, COMPREHENSIONS):
            loops.extend((g.target, g.iter, []) for g in node.generators)
    if len(loops) != 1 or loops[0] is None:
        return False
    target, iterable, body = loops[0]
    if any(isinstance(n, ast.Name) and n.id == expr.id and not isinstance(n.ctx, ast.Load)
           for n in own_nodes(body)):
        return False  # rebound in the loop
    if isinstance(target, ast.Name) and target.id == expr.id:
        return distinct_values(iterable)
    if isinstance(target, ast.Tuple) and isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) \
            and iterable.func.id == "enumerate" and target.elts and isinstance(target.elts[0], ast.Name):
        return target.elts[0].id == expr.id
    if isinstance(target, ast.Tuple) and isinstance(iterable, ast.Tuple | ast.List):
        position = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Name) and e.id == expr.id]
        rows = iterable.elts
        if len(position) != 1 or not all(isinstance(r, ast.Tuple | ast.List) and len(r.elts) == len(target.elts)
                                         for r in rows):
            return False
        return distinct_values(ast.Tuple(elts=[r.elts[position[0]] for r in rows]))
    return False


def distinct_values(iterable: ast.AST) -> bool:
    """`range(...)`, or a literal of constants that are all different."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range":
        return True
    if isinstance(iterable, ast.Tuple | ast.List | ast.Set) and all(isinstance(e, ast.Constant) for e in iterable.elts):
        values = [(type(e.value), e.value) for e in iterable.elts]
        return len(set(values)) == len(values)
    return False


@RULE.on_call("run_in_executor", "submit", "map", last_names(THREAD_STARTERS))
def check(node, ctx):
    found = thread_target(node, ctx)
    if found is None or found[1] is None:
        return
    how, expr = found
    reported = ctx.facts.memo(("ASP503 reported",), set)
    for function, scope in functions_run(expr, ctx):
        for statement, state in unlocked_mutations(function, scope, ctx.resolver):
            if statement in reported or no_other_thread_writes(statement, state, function, node, how, ctx) \
                    or own_key_per_thread(statement, function, node, how, expr, ctx):
                continue
            reported.add(statement)
            yield RULE.at(statement, f"'{function.name}' runs in other threads ({how} on line {node.lineno}) and "
                          f"updates {state} without a lock: the read and the write can interleave and lose "
                          "updates; hold a threading.Lock around it",
                          function=function.name, handoff_line=node.lineno, state=state)
