"""A member's own data: download it all, erase a member, and delete old clips on schedule."""
