"""The console channel: try the bot in a terminal (`govbot chat`)."""

from __future__ import annotations

import asyncio
import getpass
import sys
from typing import TextIO

from bot.channels.base import Channel, IncomingMessage, Reply, SendOutcome
from bot.channels.parts import ConsoleParts
from knowledge_base.models import Delivery

QUIT_WORDS = {"退出", "exit", "quit", "/quit"}


class ConsoleChannel(Channel):
    """Reads lines from a terminal and prints the replies; the pipeline is the same as online."""

    name = "console"

    def __init__(self, runtime: ConsoleParts, *, account: str, out: TextIO = sys.stdout) -> None:
        self.runtime = runtime
        self.account = account
        self.citizen_id = f"console-{getpass.getuser()}"
        self.out = out

    async def deliver(self, *, account: str, citizen_id: str, reply: Reply) -> SendOutcome:
        self.out.write(f"工作人员：{reply.text}\n")
        return SendOutcome(Delivery.SENT)

    async def say(self, text: str) -> Reply | None:
        """Send one line as the citizen and print the bot's reply."""
        turn = await self.runtime.handle(
            IncomingMessage(
                channel=self.name, account=self.account, citizen_id=self.citizen_id, text=text
            )
        )
        if turn.reply is not None:
            self.out.write(f"{turn.reply.text}\n")
        return turn.reply

    async def run(self, lines: TextIO = sys.stdin) -> None:
        """Chat until end of input or a quit word."""
        await self.runtime.knowledge.refresh_async()
        account = self.runtime.knowledge.account(self.account)
        name = account.name if account else self.account
        self.out.write(f"已连接 {name}，输入问题后回车；输入“退出”结束。\n")
        await self.say_welcome()
        while True:
            self.out.write("您：")
            self.out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line or line.strip() in QUIT_WORDS:
                self.out.write("\n再见！\n")
                return
            await self.runtime.knowledge.refresh_async()
            await self.say(line.rstrip("\n"))

    async def say_welcome(self) -> None:
        """Show the account's welcome, as a follower would see it."""
        turn = await self.runtime.handle(
            IncomingMessage(
                channel=self.name,
                account=self.account,
                citizen_id=self.citizen_id,
                kind="subscribe",
            )
        )
        if turn.reply is not None:
            self.out.write(f"{turn.reply.text}\n")
