"""What Amplify keeps between API calls, per scenario run: the sign-in store, its sessionStorage copy, the
autoSignIn store and callback, and the cached tokens.

Mirrors amplify-js v6 ``client/utils/store/signInStore.ts`` and ``autoSignInStore.ts``,
``providers/cognito/apis/autoSignIn.ts`` and ``tokenProvider/cacheTokens.ts``. Times are epoch seconds read from
the backend's clock, so ``clock: {advance: ...}`` steps age them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.cognito.srp import DeviceSecret

SIGN_IN_STATE_LIFETIME_S = 3 * 60
"""MS_TO_EXPIRY in signInStore.ts: the stored sign-in state outlives a page reload for 3 minutes."""
AUTO_SIGN_IN_WAIT_S = 3 * 60
"""MAX_AUTOSIGNIN_POLLING_MS in signUpHelpers.ts: how long signUp's autoSignIn waits for confirmSignUp."""


@dataclass
class SignInState:
    """signInStore: the challenge being answered, for confirmSignIn."""

    username: str | None = None
    challenge_name: str | None = None
    session: str | None = None
    sign_in_details: dict[str, Any] | None = None


@dataclass
class PersistedSignInState:
    """The sessionStorage copy (CognitoSignInState.*): what survives a page reload, until ``expiry``."""

    username: str | None = None
    challenge_name: str | None = None
    session: str | None = None
    expiry: float | None = None


@dataclass
class AutoSignInStore:
    """autoSignInStore: whether autoSignIn is under way, for whom, and the Session USER_AUTH will replay."""

    active: bool = False
    username: str | None = None
    session: str | None = None


@dataclass
class AutoSignInWait:
    """What signUp leaves behind when confirmation is still to come (handleCodeAutoSignIn): a listener for
    confirmSignUp holding the signIn input, and a 3-minute timer."""

    sign_in_input: dict[str, Any]
    deadline: float
    listening: bool = True
    """False once confirmSignUp fired it (or it was stopped); the timer still runs: amplify-js never clears it."""


@dataclass
class Tokens:
    """CognitoAuthTokens as cached after a sign-in or refresh."""

    access_token: str
    id_token: str | None
    refresh_token: str | None
    clock_drift_s: float
    username: str
    sign_in_details: dict[str, Any] | None = None


@dataclass
class AmplifyState:
    """All of Amplify's state for one scenario run (the ``amplify`` field of the run context)."""

    sign_in: SignInState = field(default_factory=SignInState)
    persisted: PersistedSignInState = field(default_factory=PersistedSignInState)
    auto_sign_in: AutoSignInStore = field(default_factory=AutoSignInStore)
    auto_sign_in_callback: dict[str, Any] | None = None
    """The signIn input the armed ``autoSignIn()`` will use; None: the initial callback, which throws."""
    auto_sign_in_waits: list[AutoSignInWait] = field(default_factory=list)
    tokens: Tokens | None = None
    devices: dict[str, DeviceSecret] = field(default_factory=dict)
    """The device metadata (key, group key, secret) kept per username after ConfirmDevice: localStorage, so it
    survives signOut and reloads [tokenProvider/TokenStore.ts getDeviceMetadata, clearTokens]."""

    # --- signInStore actions, with persistSignInState's writes --------------------------------------------

    def set_sign_in_state(self, state: SignInState, now: float) -> None:
        """SET_SIGN_IN_STATE: replace the state; persist its non-empty values (a session renews the expiry)."""
        self.sign_in = state
        self._persist(state.username, state.challenge_name, state.session, now)

    def set_username(self, username: str, now: float) -> None:
        """SET_USERNAME (setActiveSignInUsername)."""
        self.sign_in.username = username
        self._persist(username, None, None, now)

    def set_session(self, session: str | None, now: float) -> None:
        """SET_SIGN_IN_SESSION (TOTP setup hands out a new Session mid-answer)."""
        self.sign_in.session = session
        self._persist(None, None, session, now)

    def reset_sign_in(self) -> None:
        """RESET_STATE: the in-memory state and its stored copy are cleared."""
        self.sign_in = SignInState()
        self.persisted = PersistedSignInState()

    def _persist(self, username: str | None, challenge: str | None, session: str | None, now: float) -> None:
        if username:
            self.persisted.username = username
        if challenge:
            self.persisted.challenge_name = challenge
        if session:
            self.persisted.session = session
            self.persisted.expiry = now + SIGN_IN_STATE_LIFETIME_S

    # --- autoSignIn -------------------------------------------------------------------------------------------

    def reset_auto_sign_in(self, *, callback: bool = True) -> None:
        """resetAutoSignIn: clear the store and, unless ``callback`` is False, disarm autoSignIn()."""
        self.auto_sign_in = AutoSignInStore()
        if callback:
            self.auto_sign_in_callback = None

    def fire_timers(self, now: float) -> None:
        """Timers due by ``now`` fire (checked before every API call): each stops its listener and resets
        autoSignIn, whatever happened since - even after a successful confirmSignUp."""
        due = [wait for wait in self.auto_sign_in_waits if wait.deadline <= now]
        for wait in due:
            self.auto_sign_in_waits.remove(wait)
            self.reset_auto_sign_in()

    # --- a page reload ------------------------------------------------------------------------------------------

    def reload(self, now: float) -> None:
        """The page reloads: memory is lost; the sign-in state comes back from sessionStorage unless it expired,
        without signInDetails (never persisted); tokens stay (localStorage)."""
        stored = self.persisted
        if stored.expiry is None or stored.expiry <= now:
            self.reset_sign_in()
        else:
            self.sign_in = SignInState(stored.username, stored.challenge_name, stored.session)
        self.auto_sign_in = AutoSignInStore()
        self.auto_sign_in_callback = None
        self.auto_sign_in_waits = []
