from godmode_server.cli import main

main()
