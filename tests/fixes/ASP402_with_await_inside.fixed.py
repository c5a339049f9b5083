import asyncio


async def fetch_weather(city):
    await asyncio.sleep(0)
    return city


async def just_the_weather(city):
    # ASP403 drops the inner await first, then ASP402 drops the gather
    weather = await fetch_weather(city)
    return weather
