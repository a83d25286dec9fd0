"""Distributed runs: host groups of a registry leased from Redis by worker processes (README "Distributed runs").

keys.py names every Redis key of a run; leases.py holds the atomic lease/renew/ack/reclaim scripts; seeding.py
writes a run (`govcrawl enqueue`); queue.py and scheduler.py plug per-lease request queues into scrapy-redis;
worker.py is the spider's side (leasing, heartbeat, acknowledgement); merge.py combines the workers' databases.
"""
