from cruxcli.cli import main

main()
