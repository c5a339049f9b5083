"""Commands shared by the sync and the async client: plain defs."""


class Commands:
    def search(self, query: str) -> list:
        return [query]

    def info(self) -> dict:
        return {}

    def explain(self, query: str) -> str:
        return query
