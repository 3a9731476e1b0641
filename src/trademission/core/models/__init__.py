from .job import Job

__all__ = ["Job"]
