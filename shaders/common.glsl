// common.glsl — prepended to every kernel (after #version and its KERNEL_ define): shared macros.
// Not a kernel. Tensors are whole buffers bound by binding point; their offsets (in floats) are uniforms.

// The flat index of this invocation when the host used GlBackend::dispatch_1d (x folded into x and y).
#define GLOBAL_INDEX ((gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + \
                      gl_LocalInvocationID.x)
