"""TTHC reform monitoring dashboard (Bảng theo dõi cải cách thủ tục hành chính)."""
