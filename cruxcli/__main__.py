from cruxcli.commands.cli import main

main()
