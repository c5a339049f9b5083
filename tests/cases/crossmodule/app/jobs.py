"""Background jobs: classes whose base classes live in other modules of the app."""
import app.models
from app.db.session import Session
from app.models import User


class Job(app.models.Model):
    async def run(self) -> None:
        self.save()  # error: ASP101
        self.validate()
        await self.delete()


class Rename(User):
    def __init__(self, name: str) -> None:
        self.session = Session()
        self.name = name

    async def run(self) -> None:
        self.rename(self.name)  # error: ASP101
        self.session.commit()  # error: ASP101
        self.session.add(self)
        self.display()
        await self.session.commit()

    async def delete(self) -> None:
        super().delete()  # error: ASP101
        super().validate()
