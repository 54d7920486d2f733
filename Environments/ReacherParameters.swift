/// Physical constants of the 2-link reacher (MuJoCo Reacher-v5's model, SPEC §4).
///
/// Every field is public so tests and studies can change one thing (for example `damping = 0`
/// to check energy conservation, or `timestep` to measure the integrator's order); the
/// defaults are the specification's.
public struct ReacherParameters: Sendable, Equatable {
    /// Length of link 1 (base to elbow), m.
    public var linkLength = 0.1
    /// Mass of each link's capsule, kg.
    public var linkMass = 0.0356047167
    /// Distance of each link's centre of mass from its joint, m.
    public var linkCenterOfMass = 0.05
    /// Each link's moment of inertia about its centre of mass (z axis), kg·m².
    public var linkInertia = 3.917566e-5
    /// Mass of the fingertip sphere, kg.
    public var fingertipMass = 0.0041887902
    /// The fingertip sphere's own moment of inertia, kg·m².
    public var fingertipInertia = 1.6755e-7
    /// Distance of the fingertip from the elbow along link 2, m.
    public var fingertipOffset = 0.11
    /// Rotor inertia added to each joint's diagonal of the mass matrix, kg·m².
    public var armature = 1.0
    /// Viscous damping on each joint, N·m·s/rad.
    public var damping = 1.0
    /// Motor gear: torque = gear · clip(u, −1, 1), N·m.
    public var gear = 200.0
    /// RK4 step, s.
    public var timestep = 0.01
    /// RK4 steps per control step (control period = substeps · timestep).
    public var substeps = 2
    /// The elbow joint q2 is kept within ±elbowLimit, rad.
    public var elbowLimit = 3.0

    public init() {}
}
