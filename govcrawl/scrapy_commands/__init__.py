"""Scrapy commands of the project (COMMANDS_MODULE): `scrapy crawl` with clear errors for bad arguments."""
