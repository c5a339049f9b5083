import sys

from .cli import main

if __name__ == "__main__":  # `libcst.tool list` imports every module of the package
    sys.exit(main())
