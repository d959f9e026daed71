"""The host-by-host work queue: a busy host never blocks the others; waiting is bounded."""

from __future__ import annotations

import asyncio

from scraper.pipeline.hosts import HostQueue


def test_hosts_take_turns_and_a_busy_host_does_not_block_the_others() -> None:
    async def scenario() -> list[str]:
        queue: HostQueue[int] = HostQueue(per_host=1, capacity=100)
        for n in range(3):
            await queue.put("slow.example", n)
        await queue.put("fast.example", 10)
        await queue.put("fast.example", 11)
        first = await queue.get()  # slow.example's slot is now taken, and stays so
        served = [first[0] if first else ""]
        for _ in range(2):
            item = await queue.get()
            assert item is not None
            served.append(item[0])
            await queue.done(item[0])
        return served

    assert asyncio.run(scenario()) == ["slow.example", "fast.example", "fast.example"]


def test_put_waits_for_room_and_get_ends_after_close() -> None:
    async def scenario() -> tuple[bool, list[int]]:
        queue: HostQueue[int] = HostQueue(per_host=5, capacity=2)
        await queue.put("a", 1)
        await queue.put("b", 2)
        third = asyncio.create_task(queue.put("c", 3))
        await asyncio.sleep(0.01)
        blocked = not third.done()
        got = []
        while (item := await queue.get()) is not None:
            got.append(item[1])
            await queue.done(item[0])
            if len(got) == 1:
                await third
                await queue.close()
        return blocked, got

    blocked, got = asyncio.run(scenario())
    assert blocked
    assert sorted(got) == [1, 2, 3]
