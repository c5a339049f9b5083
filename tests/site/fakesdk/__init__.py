from ._client import AsyncSDK, SyncSDK, open_pair, open_sdk

__all__ = ["AsyncSDK", "SyncSDK", "open_pair", "open_sdk"]
