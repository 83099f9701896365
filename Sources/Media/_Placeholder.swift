enum _PMedia {}
