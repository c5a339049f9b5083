"""Eval file for ASP602 blocking-file-io-in-coroutine: shutil.  Parsed, never run.

A release tool that packages builds from async code.  Positives carry
`# error: ASP602`: a `shutil` function that copies, moves or removes files on
the event loop.  The `copy` module, the `shutil` functions that do no file I/O,
and the same calls handed to a thread must stay silent.
"""
from __future__ import annotations

import asyncio
import copy
import functools
import shutil
from shutil import copytree as clone_tree
from shutil import rmtree

BUILD = "build"
shutil.rmtree(BUILD, ignore_errors=True)  # module level


# -- positives -------------------------------------------------------------------------------


async def stage(artifact: str, target: str):
    shutil.copy(artifact, target)  # error: ASP602
    shutil.copy2(artifact + ".sig", target)  # error: ASP602


async def stage_license(target: str):
    shutil.copyfile("LICENSE", target)  # error: ASP602
    shutil.copymode("LICENSE", target)  # error: ASP602


async def mirror(source: str, target: str):
    clone_tree(source, target, dirs_exist_ok=True)  # error: ASP602


async def clean():
    rmtree(BUILD, ignore_errors=True)  # error: ASP602


async def publish(artifact: str, folder: str):
    return shutil.move(artifact, folder)  # error: ASP602


async def enough_space(folder: str, needed: int):
    return shutil.disk_usage(folder).free > needed  # error: ASP602


async def package(name: str, folder: str):
    return shutil.make_archive(name, "gztar", folder)  # error: ASP602


async def unpack(archive: str, folder: str):
    shutil.unpack_archive(archive, folder)  # error: ASP602


async def find_tool(name: str):
    return shutil.which(name)  # error: ASP602


async def stream_copy(source, target):
    shutil.copyfileobj(source, target)  # error: ASP602


async def hand_over(folder: str, user: str):
    shutil.chown(folder, user)  # error: ASP602


async def for_each(folders):
    for folder in folders:
        shutil.rmtree(folder)  # error: ASP602


# -- negatives -------------------------------------------------------------------------------


async def settings(template: dict):
    return copy.copy(template), copy.deepcopy(template)


async def terminal():
    return shutil.get_terminal_size().columns, shutil.get_archive_formats()


async def in_a_thread(source: str, target: str):
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(shutil.copytree, source, target)
    await loop.run_in_executor(None, functools.partial(shutil.rmtree, source, ignore_errors=True))
    return await asyncio.to_thread(shutil.which, "git")


async def helper_in_a_thread(folders):
    def clean_all():
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    await asyncio.to_thread(clean_all)


async def lambda_in_a_thread(source: str, target: str):
    await asyncio.to_thread(lambda: shutil.copy(source, target))


def release_sync(source: str, target: str):
    shutil.copy(source, target)
    shutil.rmtree(source)


class Bucket:
    def copy(self, key: str) -> str:
        return key

    def move(self, key: str) -> str:
        return key


async def project_methods(bucket: Bucket, key: str):
    return bucket.copy(key), bucket.move(key)


async def local_function(value):
    def rmtree(tree):
        return tree

    return rmtree(value)
