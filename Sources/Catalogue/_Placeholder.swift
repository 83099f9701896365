enum _PCatalogue {}
