"""A web app with a pytest suite: tests whose parameters are fixtures of conftest.py files.

pytest passes each test parameter the value of the fixture of that name (the test's
class, its module, the conftest.py files of its folder and above, nearest first).
A fixture's value is what it is annotated to return, or what it surely returns or
yields; a call on it is resolved through that class, found in another module.
"""
