"""`scrapy crawl` that checks a spider's arguments first: a bad registry or date is one clear line and exit code 2,
not a traceback."""
from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if args and self.crawler_process is not None:
            spidercls = self.crawler_process.spider_loader.load(args[0])
            check = getattr(spidercls, "check_arguments", None)
            problem = check(dict(opts.spargs), self.settings) if check else None
            if problem:
                print(f"error: {problem}", file=sys.stderr)
                self.exitcode = 2
                return
        super().run(args, opts)
