from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of REST_FRAMEWORK["PAGE_SIZE"] rows; `page_size` asks for fewer or more, up to
    a cap that keeps one call from reading a whole caseload."""

    page_size_query_param = "page_size"
    max_page_size = 100
