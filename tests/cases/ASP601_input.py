"""Eval file for ASP601: `input()` on the event loop.  Parsed, never run.

An interactive chat client: while `input()` waits for the user, the loop cannot read the
server's messages, answer its pings or fire a timer.  Positives: the builtin `input`, also
as `builtins.input`, anywhere in a coroutine's own body.  Negatives: an `input` defined or
imported by the module, methods and attributes named `input`, the builtin in a thread.
"""
from __future__ import annotations

import asyncio
import builtins
import sys

from prompt_toolkit import PromptSession
from readline_tools import input as read_line


async def ask_name():
    return input("Your name: ").strip()  # error: ASP601


async def confirm(question):
    answer = builtins.input(f"{question} [y/N] ")  # error: ASP601
    return answer.lower() == "y"


async def chat(connection):
    while True:
        line = input("> ")  # error: ASP601
        if line == "/quit":
            break
        await connection.send(line)


async def pick(options):
    for index, option in enumerate(options):
        print(index, option)
    return options[int(input("choice: "))]  # error: ASP601


async def collect(count):
    return [input(f"value {n}: ") for n in range(count)]  # error: ASP601


async def pause_until_enter():
    input()  # error: ASP601


async def login(client):
    user = input("user: ") or "guest"  # error: ASP601
    await client.authenticate(user, input("token: "))  # error: ASP601


class Shell:
    async def loop(self, session):
        while (command := input("$ ")) != "exit":  # error: ASP601
            await session.run(command)

    # -- negatives ----------------------------------------------------------------------------

    async def loop_in_thread(self, session):
        while (command := await asyncio.to_thread(input, "$ ")) != "exit":
            await session.run(command)

    async def read_from_widget(self, widget):
        return widget.input("name")  # a method named input


# -- negatives ------------------------------------------------------------------------------


async def prompt_async():
    session = PromptSession()
    return await session.prompt_async("> ")


async def imported_input():
    return read_line("> ")  # another module's `input`: not the builtin


async def offloaded():
    loop = asyncio.get_running_loop()
    first = await loop.run_in_executor(None, input, "first: ")
    second = await asyncio.to_thread(lambda: input("second: "))
    return first, second


async def in_a_helper():
    def ask():
        return input("sync: ")  # a nested plain def

    return await asyncio.to_thread(ask)


async def reading_stdin_fields(form):
    return form.input, sys.stdin.isatty()  # attributes, not calls of the builtin


async def parameter_named_input(input):
    return input("x")  # the parameter shadows the builtin


def sync_prompt():
    return input("sync prompt: ")  # a plain function
