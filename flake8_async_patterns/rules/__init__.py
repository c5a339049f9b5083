"""The catalogue: one module per rule, named after the rule.  Importing this package imports
every module in it, and each registers its rule."""
import importlib
import pkgutil

MODULES = tuple(
    importlib.import_module(f"{__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    if not info.name.startswith("_")
)
