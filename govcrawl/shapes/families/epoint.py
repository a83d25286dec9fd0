"""Epoint 国泰新点 portals: lists filled by epoint frame scripts (epointweb/, epoint.xxx(), /frame/fui/)."""
NAME = "epoint"
PRIORITY = 30
RENDER_HINTS = [("epoint", r"epoint(?:zwmhwz|web|-httpserver)?/|\bepoint\.\w+\s*\(|/frame/fui/")]
