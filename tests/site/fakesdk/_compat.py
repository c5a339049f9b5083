from typing import TYPE_CHECKING

if TYPE_CHECKING:
    cached_property = property
else:
    from functools import cached_property as cached_property  # noqa: F401 - the re-export


# not a property: a decorator that happens to have the word in its name
def property_logged(function):
    return function
