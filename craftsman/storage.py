"""The private storage of applicants' files, looked up at every call.

``FileField(storage=callable)`` evaluates the callable once, when models load;
this proxy instead asks ``storages["private"]`` on each operation, so a change
of ``STORAGES`` (tests, a deployment moving files elsewhere) is always honoured
and the field never points at a public location.
"""

from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible


@deconstructible(path="craftsman.storage.PrivateStorage")
class PrivateStorage(Storage):
    @property
    def target(self):
        return storages["private"]

    def open(self, name, mode="rb"):
        return self.target.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.target.save(name, content, max_length=max_length)

    def delete(self, name):
        return self.target.delete(name)

    def exists(self, name):
        return self.target.exists(name)

    def size(self, name):
        return self.target.size(name)

    def path(self, name):
        return self.target.path(name)

    def url(self, name):
        raise NotImplementedError("私有文件没有公开网址，只能通过权限检查的视图下载。")

    def listdir(self, path):
        return self.target.listdir(path)

    def generate_filename(self, filename):
        return self.target.generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.target.get_available_name(name, max_length=max_length)

    def get_modified_time(self, name):
        return self.target.get_modified_time(name)


private_storage = PrivateStorage()
