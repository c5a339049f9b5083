from ._client import AsyncSDK, SyncSDK, make_sdk, make_untyped, open_pair, open_sdk

__all__ = ["AsyncSDK", "SyncSDK", "make_sdk", "make_untyped", "open_pair", "open_sdk"]
