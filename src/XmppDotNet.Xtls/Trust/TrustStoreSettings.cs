namespace XmppDotNet.Xtls.Trust;

/// <summary>Argument checks for the stores' settings.</summary>
internal static class TrustStoreSettings
{
    public static void Check(TrustOnFirstUse tofu, NewDevicePolicy newDevices)
    {
        if (!Enum.IsDefined(tofu))
        {
            throw new ArgumentOutOfRangeException(nameof(tofu), tofu, "Unknown trust-on-first-use setting.");
        }

        if (!Enum.IsDefined(newDevices))
        {
            throw new ArgumentOutOfRangeException(nameof(newDevices), newDevices, "Unknown new-device policy.");
        }
    }
}
