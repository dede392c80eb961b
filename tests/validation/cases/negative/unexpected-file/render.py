import os

os.system("touch canary")
