#pragma once
// Prototypes for the post-1.1 entry points too; Mesa/glvnd's libGL exports them directly.
#define GL_GLEXT_PROTOTYPES 1
#include <GLFW/glfw3.h>
#include <GL/glext.h>
