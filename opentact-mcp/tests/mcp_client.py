"""Drives opentact-mcp with the official MCP Python SDK (`mcp`, pinned in tools/requirements.txt).

Usage: python mcp_client.py PLAN.json. The plan names the server binary, its environment and
one or more sessions, each with the server's flags and the tool calls to make. For each
session this prints (one JSON document on stdout) what the SDK received, as the wire JSON:
the initialize result, the listed tools, and each call's result; a call the SDK raised on is
recorded as {"exception": ...}. The Rust test (opentact-mcp/tests/mcp.rs) makes the checks.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def wire(model):
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


async def run_session(command, env, session):
    params = StdioServerParameters(command=command, args=session["args"], env=env)
    report = {"calls": []}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as client:
            report["initialize"] = wire(await client.initialize())
            report["tools"] = wire(await client.list_tools())
            for call in session["calls"]:
                try:
                    result = await client.call_tool(call["name"], call["arguments"])
                    report["calls"].append(wire(result))
                except Exception as e:  # a protocol error: the test says whether one was expected
                    report["calls"].append({"exception": f"{type(e).__name__}: {e}"})
    return report


async def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    reports = [await run_session(plan["command"], plan["env"], s) for s in plan["sessions"]]
    json.dump(reports, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
