import Foundation

#if GUI
ViewerCommand.main()
#else
// Without the trait the GL packages may not even be installed; say how to get the real viewer.
FileHandle.standardError.write(Data(
    "ebm-view was built without the GUI trait: swift build --traits GUI (needs libglfw3-dev libgl1-mesa-dev)\n".utf8))
exit(1)
#endif
