"""tools/lglaunch: the parts of tools/lguest, one job per module.

  status.py   exit statuses and LaunchError
  guests.py   one guest's Launcher arguments: parsing and checks
  image.py    judging a kernel image (ELF rules, memory fit)
  bzimage.py  the 2.6.23 Launcher's bzImage rules, pure functions
  qemu.py     the QEMU command line: the one definition of how lgref
              starts QEMU, also for the tests, benchmarks and run-iso
  run.py      running QEMU: signals, the host log relay, statuses
"""
