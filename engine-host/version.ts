/** Version of the engine reported in the handshake (`hello-ack.engineVersion`). */
export const ENGINE_VERSION = '0.1.0'
